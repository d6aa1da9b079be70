package dev.anneau.webnn;

/** The WebNN {@code MLRecurrentNetworkActivation} enum: activation functions of gru/lstm. */
public enum MLRecurrentNetworkActivation implements SpecEnum {
    RELU("relu"),
    SIGMOID("sigmoid"),
    TANH("tanh");

    private final String specName;

    MLRecurrentNetworkActivation(String specName) { this.specName = specName; }

    @Override
    public String specName() { return specName; }

    public static MLRecurrentNetworkActivation fromSpecName(String name) { return SpecEnum.parse(MLRecurrentNetworkActivation.class, name); }

    @Override
    public String toString() { return specName; }
}
