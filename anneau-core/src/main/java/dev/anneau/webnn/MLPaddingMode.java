package dev.anneau.webnn;

/** The WebNN {@code MLPaddingMode} enum: how pad fills the border (the spec removed 'symmetric' in 2025). */
public enum MLPaddingMode implements SpecEnum {
    CONSTANT("constant"),
    EDGE("edge"),
    REFLECTION("reflection");

    private final String specName;

    MLPaddingMode(String specName) { this.specName = specName; }

    @Override
    public String specName() { return specName; }

    public static MLPaddingMode fromSpecName(String name) { return SpecEnum.parse(MLPaddingMode.class, name); }

    @Override
    public String toString() { return specName; }
}
