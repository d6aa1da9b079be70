package dev.anneau.onnx;

/**
 * An ONNX model could not be read or imported: malformed protobuf, inconsistent tensors,
 * a cyclic graph, sizes beyond what can be held, missing external data. The message says what
 * and where.
 */
public class OnnxImportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OnnxImportException(String message) { super(message); }

    public OnnxImportException(String message, Throwable cause) { super(message, cause); }
}
