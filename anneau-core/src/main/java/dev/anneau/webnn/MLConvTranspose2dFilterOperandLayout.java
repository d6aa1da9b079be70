package dev.anneau.webnn;

/** The WebNN {@code MLConvTranspose2dFilterOperandLayout} enum: layout of convTranspose2d filters. */
public enum MLConvTranspose2dFilterOperandLayout implements SpecEnum {
    IOHW("iohw"),
    HWOI("hwoi"),
    OHWI("ohwi");

    private final String specName;

    MLConvTranspose2dFilterOperandLayout(String specName) { this.specName = specName; }

    @Override
    public String specName() { return specName; }

    public static MLConvTranspose2dFilterOperandLayout fromSpecName(String name) { return SpecEnum.parse(MLConvTranspose2dFilterOperandLayout.class, name); }

    @Override
    public String toString() { return specName; }
}
