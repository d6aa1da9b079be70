package dev.anneau.webnn;

/** The WebNN {@code MLRoundingType} enum: how pooling rounds a fractional output size. */
public enum MLRoundingType implements SpecEnum {
    FLOOR("floor"),
    CEIL("ceil");

    private final String specName;

    MLRoundingType(String specName) { this.specName = specName; }

    @Override
    public String specName() { return specName; }

    public static MLRoundingType fromSpecName(String name) { return SpecEnum.parse(MLRoundingType.class, name); }

    @Override
    public String toString() { return specName; }
}
