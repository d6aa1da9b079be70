package dev.anneau.webnn;

/** The WebNN {@code MLConv2dFilterOperandLayout} enum: layout of conv2d filters. */
public enum MLConv2dFilterOperandLayout implements SpecEnum {
    OIHW("oihw"),
    HWIO("hwio"),
    OHWI("ohwi"),
    IHWO("ihwo");

    private final String specName;

    MLConv2dFilterOperandLayout(String specName) { this.specName = specName; }

    @Override
    public String specName() { return specName; }

    public static MLConv2dFilterOperandLayout fromSpecName(String name) { return SpecEnum.parse(MLConv2dFilterOperandLayout.class, name); }

    @Override
    public String toString() { return specName; }
}
