package dev.anneau.backend.ort.lowering;

import dev.anneau.webnn.MLInputOperandLayout;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.ConvolutionOps.ConvAttributes;

/**
 * ONNX lowerings of the convolution family (see {@code dev.anneau.webnn.ConvolutionMethods}).
 *
 * <p>ONNX Conv/ConvTranspose only know NCHW inputs and OIHW (Conv) / IOHW (ConvTranspose)
 * filters, so other layouts are wrapped in Transpose nodes (ORT folds them for constant
 * filters). WebNN padding is [top, bottom, left, right]; ONNX pads are [top, left, bottom, right].
 * convTranspose2d's outputSizes become an explicit output_padding (outputSizes - the computed
 * size, always in [0, stride)), never ONNX's output_shape, which would re-derive the pads.
 * float16 runs through ORT's own float32 fallback on the CPU EP (computed in float32, one
 * rounding to float16 at the end).
 */
public final class ConvolutionLowering {
    private ConvolutionLowering() {}

    static final long[] NHWC_TO_NCHW = {0, 3, 1, 2};
    static final long[] NCHW_TO_NHWC = {0, 2, 3, 1};

    public static void register(LoweringRegistry registry) {
        registry.register("conv2d", LoweringRegistry.FLOATS, ConvolutionLowering::conv2d);
        registry.register("convTranspose2d", LoweringRegistry.FLOATS, ConvolutionLowering::convTranspose2d);
    }

    private static void conv2d(Operation op, LoweringContext cx) {
        ConvAttributes a = op.attributes(ConvAttributes.class);
        String filter = cx.value(op.input(1));
        long[] perm = switch (a.filterLayout()) {
            case "hwio" -> new long[] {3, 2, 0, 1};
            case "ohwi" -> new long[] {0, 3, 1, 2};
            case "ihwo" -> new long[] {3, 0, 1, 2};
            default -> null; // oihw
        };
        if (perm != null) filter = cx.op("Transpose", filter).attr("perm", perm).out();
        emit("Conv", op, a, filter, cx, null);
    }

    private static void convTranspose2d(Operation op, LoweringContext cx) {
        ConvAttributes a = op.attributes(ConvAttributes.class);
        String filter = cx.value(op.input(1));
        long[] perm = switch (a.filterLayout()) {
            case "hwoi" -> new long[] {3, 2, 0, 1};
            case "ohwi" -> new long[] {3, 0, 1, 2};
            default -> null; // iohw
        };
        if (perm != null) filter = cx.op("Transpose", filter).attr("perm", perm).out();
        // the size without output padding; the difference is what outputPadding/outputSizes added
        long calcH = (a.inputHeight() - 1) * a.strideHeight() + (a.filterHeight() - 1) * a.dilationHeight() + 1
                - a.padTop() - a.padBottom();
        long calcW = (a.inputWidth() - 1) * a.strideWidth() + (a.filterWidth() - 1) * a.dilationWidth() + 1
                - a.padLeft() - a.padRight();
        emit("ConvTranspose", op, a, filter, cx, new long[] {a.outputHeight() - calcH, a.outputWidth() - calcW});
    }

    private static void emit(String onnxOp, Operation op, ConvAttributes a, String filter, LoweringContext cx,
                             long[] outputPadding) {
        boolean nhwc = a.inputLayout() == MLInputOperandLayout.NHWC;
        String input = cx.value(op.input(0));
        if (nhwc) input = cx.op("Transpose", input).attr("perm", NHWC_TO_NCHW).out();
        LoweringContext.NodeBuilder node = (op.input(2) == null ? cx.op(onnxOp, input, filter)
                : cx.op(onnxOp, input, filter, cx.value(op.input(2))))
                .attr("kernel_shape", new long[] {a.filterHeight(), a.filterWidth()})
                .attr("pads", new long[] {a.padTop(), a.padLeft(), a.padBottom(), a.padRight()})
                .attr("strides", new long[] {a.strideHeight(), a.strideWidth()})
                .attr("dilations", new long[] {a.dilationHeight(), a.dilationWidth()})
                .attr("group", (long) a.groups());
        if (outputPadding != null && (outputPadding[0] != 0 || outputPadding[1] != 0)) {
            node.attr("output_padding", outputPadding);
        }
        String out = cx.outputName(op.output(0));
        if (nhwc) {
            String t = node.out();
            cx.op("Transpose", t).attr("perm", NCHW_TO_NHWC).out(out);
        } else {
            node.out(out);
        }
    }
}
