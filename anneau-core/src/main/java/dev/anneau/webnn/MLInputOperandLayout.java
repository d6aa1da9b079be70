package dev.anneau.webnn;

/** The WebNN {@code MLInputOperandLayout} enum: layout of 4-D conv/pool/normalization inputs. */
public enum MLInputOperandLayout implements SpecEnum {
    NCHW("nchw"),
    NHWC("nhwc");

    private final String specName;

    MLInputOperandLayout(String specName) { this.specName = specName; }

    @Override
    public String specName() { return specName; }

    public static MLInputOperandLayout fromSpecName(String name) { return SpecEnum.parse(MLInputOperandLayout.class, name); }

    @Override
    public String toString() { return specName; }
}
