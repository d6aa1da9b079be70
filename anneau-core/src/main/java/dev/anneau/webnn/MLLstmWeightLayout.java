package dev.anneau.webnn;

/** The WebNN {@code MLLstmWeightLayout} enum: gate order in lstm weights. */
public enum MLLstmWeightLayout implements SpecEnum {
    IOFG("iofg"),
    IFGO("ifgo");

    private final String specName;

    MLLstmWeightLayout(String specName) { this.specName = specName; }

    @Override
    public String specName() { return specName; }

    public static MLLstmWeightLayout fromSpecName(String name) { return SpecEnum.parse(MLLstmWeightLayout.class, name); }

    @Override
    public String toString() { return specName; }
}
