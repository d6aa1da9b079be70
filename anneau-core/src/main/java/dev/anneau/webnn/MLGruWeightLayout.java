package dev.anneau.webnn;

/** The WebNN {@code MLGruWeightLayout} enum: gate order in gru weights. */
public enum MLGruWeightLayout implements SpecEnum {
    ZRN("zrn"),
    RZN("rzn");

    private final String specName;

    MLGruWeightLayout(String specName) { this.specName = specName; }

    @Override
    public String specName() { return specName; }

    public static MLGruWeightLayout fromSpecName(String name) { return SpecEnum.parse(MLGruWeightLayout.class, name); }

    @Override
    public String toString() { return specName; }
}
