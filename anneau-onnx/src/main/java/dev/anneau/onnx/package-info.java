/**
 * ONNX model import onto WebNN: {@link dev.anneau.onnx.OnnxModel} (parsing, external data,
 * structural checks), {@link dev.anneau.onnx.OnnxImporter} (ONNX graph to MLGraphBuilder calls,
 * with constant folding of static shape computations), {@link dev.anneau.onnx.OnnxSession}
 * (per-shape graph cache, runs with host tensors), {@link dev.anneau.onnx.OnnxNodeSuite} (the ONNX
 * backend test runner) and {@link dev.anneau.onnx.Npy} (NumPy files). See the module README.
 */
package dev.anneau.onnx;
