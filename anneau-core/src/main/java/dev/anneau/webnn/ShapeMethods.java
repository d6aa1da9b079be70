package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.TensorType;
import dev.anneau.webnn.ops.ShapeOps;
import java.util.ArrayList;
import java.util.List;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface ShapeMethods {

    /** {@code concat} */
    default MLOperand concat(java.util.List<MLOperand> inputs, int axis, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("concat", options);
        if (inputs == null) throw check.error("inputs is required");
        for (int i = 0; i < inputs.size(); i++) b.requireMember(check, "inputs[" + i + "]", inputs.get(i));
        List<TensorType> types = new ArrayList<>(inputs.size());
        for (MLOperand o : inputs) types.add(check.operand("inputs", o.type()));
        ShapeOps.Inferred<?> r = ShapeOps.concat(check, types, axis);
        return b.emit(check, r.attributes(), inputs, r.output())[0];
    }

    default MLOperand concat(java.util.List<MLOperand> inputs, int axis) { return concat(inputs, axis, null); }

    /** {@code expand} */
    default MLOperand expand(MLOperand input, long[] newShape, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("expand", options);
        TensorType in = b.use(check, "input", input);
        ShapeOps.Inferred<?> r = ShapeOps.expand(check, in, newShape);
        return b.emit(check, r.attributes(), List.of(input), r.output())[0];
    }

    default MLOperand expand(MLOperand input, long[] newShape) { return expand(input, newShape, null); }

    /** {@code gather} */
    default MLOperand gather(MLOperand input, MLOperand indices, MLGatherOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("gather", options);
        TensorType in = b.use(check, "input", input);
        TensorType idx = b.use(check, "indices", indices);
        ShapeOps.Inferred<?> r = ShapeOps.gather(check, in, idx, options == null ? null : options.axis());
        return b.emit(check, r.attributes(), List.of(input, indices), r.output())[0];
    }

    default MLOperand gather(MLOperand input, MLOperand indices) { return gather(input, indices, null); }

    /** {@code gatherElements} */
    default MLOperand gatherElements(MLOperand input, MLOperand indices, MLGatherOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("gatherElements", options);
        TensorType in = b.use(check, "input", input);
        TensorType idx = b.use(check, "indices", indices);
        ShapeOps.Inferred<?> r = ShapeOps.gatherElements(check, in, idx, options == null ? null : options.axis());
        return b.emit(check, r.attributes(), List.of(input, indices), r.output())[0];
    }

    default MLOperand gatherElements(MLOperand input, MLOperand indices) { return gatherElements(input, indices, null); }

    /** {@code gatherND} */
    default MLOperand gatherND(MLOperand input, MLOperand indices, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("gatherND", options);
        TensorType in = b.use(check, "input", input);
        TensorType idx = b.use(check, "indices", indices);
        ShapeOps.Inferred<?> r = ShapeOps.gatherND(check, in, idx);
        return b.emit(check, r.attributes(), List.of(input, indices), r.output())[0];
    }

    default MLOperand gatherND(MLOperand input, MLOperand indices) { return gatherND(input, indices, null); }

    /** {@code scatterElements} */
    default MLOperand scatterElements(MLOperand input, MLOperand indices, MLOperand updates, MLScatterOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("scatterElements", options);
        TensorType in = b.use(check, "input", input);
        TensorType idx = b.use(check, "indices", indices);
        TensorType upd = b.use(check, "updates", updates);
        ShapeOps.Inferred<?> r = ShapeOps.scatterElements(check, in, idx, upd, options == null ? null : options.axis());
        return b.emit(check, r.attributes(), List.of(input, indices, updates), r.output())[0];
    }

    default MLOperand scatterElements(MLOperand input, MLOperand indices, MLOperand updates) { return scatterElements(input, indices, updates, null); }

    /** {@code scatterND} */
    default MLOperand scatterND(MLOperand input, MLOperand indices, MLOperand updates, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("scatterND", options);
        TensorType in = b.use(check, "input", input);
        TensorType idx = b.use(check, "indices", indices);
        TensorType upd = b.use(check, "updates", updates);
        ShapeOps.Inferred<?> r = ShapeOps.scatterND(check, in, idx, upd);
        return b.emit(check, r.attributes(), List.of(input, indices, updates), r.output())[0];
    }

    default MLOperand scatterND(MLOperand input, MLOperand indices, MLOperand updates) { return scatterND(input, indices, updates, null); }

    /** {@code pad} */
    default MLOperand pad(MLOperand input, int[] beginningPadding, int[] endingPadding, MLPadOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("pad", options);
        TensorType in = b.use(check, "input", input);
        ShapeOps.Inferred<?> r = ShapeOps.pad(check, in, beginningPadding, endingPadding,
                options == null ? null : options.mode(), options == null ? null : options.value());
        return b.emit(check, r.attributes(), List.of(input), r.output())[0];
    }

    default MLOperand pad(MLOperand input, int[] beginningPadding, int[] endingPadding) { return pad(input, beginningPadding, endingPadding, null); }

    /** {@code reshape} */
    default MLOperand reshape(MLOperand input, long[] newShape, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("reshape", options);
        TensorType in = b.use(check, "input", input);
        ShapeOps.Inferred<?> r = ShapeOps.reshape(check, in, newShape);
        return b.emit(check, r.attributes(), List.of(input), r.output())[0];
    }

    default MLOperand reshape(MLOperand input, long[] newShape) { return reshape(input, newShape, null); }

    /** {@code slice} */
    default MLOperand slice(MLOperand input, int[] starts, int[] sizes, MLSliceOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("slice", options);
        TensorType in = b.use(check, "input", input);
        ShapeOps.Inferred<?> r = ShapeOps.slice(check, in, starts, sizes, options == null ? null : options.strides());
        return b.emit(check, r.attributes(), List.of(input), r.output())[0];
    }

    default MLOperand slice(MLOperand input, int[] starts, int[] sizes) { return slice(input, starts, sizes, null); }

    /** {@code split}: Splits into `splits` equal parts along options.axis. */
    default MLOperand[] split(MLOperand input, int splits, MLSplitOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("split", options);
        TensorType in = b.use(check, "input", input);
        ShapeOps.Inferred<?> r = ShapeOps.split(check, in, splits, options == null ? null : options.axis());
        return b.emit(check, r.attributes(), List.of(input), r.outputs());
    }

    default MLOperand[] split(MLOperand input, int splits) { return split(input, splits, null); }

    /** {@code split}: Splits into parts of the given sizes along options.axis. */
    default MLOperand[] split(MLOperand input, int[] splits, MLSplitOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("split", options);
        TensorType in = b.use(check, "input", input);
        ShapeOps.Inferred<?> r = ShapeOps.split(check, in, splits, options == null ? null : options.axis());
        return b.emit(check, r.attributes(), List.of(input), r.outputs());
    }

    default MLOperand[] split(MLOperand input, int[] splits) { return split(input, splits, null); }

    /** {@code transpose} */
    default MLOperand transpose(MLOperand input, MLTransposeOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("transpose", options);
        TensorType in = b.use(check, "input", input);
        ShapeOps.Inferred<?> r = ShapeOps.transpose(check, in, options == null ? null : options.permutation());
        return b.emit(check, r.attributes(), List.of(input), r.output())[0];
    }

    default MLOperand transpose(MLOperand input) { return transpose(input, null); }

    /** {@code reverse} */
    default MLOperand reverse(MLOperand input, MLReverseOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("reverse", options);
        TensorType in = b.use(check, "input", input);
        ShapeOps.Inferred<?> r = ShapeOps.reverse(check, in, options == null ? null : options.axes());
        return b.emit(check, r.attributes(), List.of(input), r.output())[0];
    }

    default MLOperand reverse(MLOperand input) { return reverse(input, null); }

    /** {@code tile} */
    default MLOperand tile(MLOperand input, int[] repetitions, MLOperatorOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("tile", options);
        TensorType in = b.use(check, "input", input);
        ShapeOps.Inferred<?> r = ShapeOps.tile(check, in, repetitions);
        return b.emit(check, r.attributes(), List.of(input), r.output())[0];
    }

    default MLOperand tile(MLOperand input, int[] repetitions) { return tile(input, repetitions, null); }

    /** {@code triangular} */
    default MLOperand triangular(MLOperand input, MLTriangularOptions options) {
        MLGraphBuilder b = self();
        OpCheck check = b.begin("triangular", options);
        TensorType in = b.use(check, "input", input);
        ShapeOps.Inferred<?> r = ShapeOps.triangular(check, in, options == null ? null : options.upper(),
                options == null ? null : options.diagonal());
        return b.emit(check, r.attributes(), List.of(input), r.output())[0];
    }

    default MLOperand triangular(MLOperand input) { return triangular(input, null); }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
