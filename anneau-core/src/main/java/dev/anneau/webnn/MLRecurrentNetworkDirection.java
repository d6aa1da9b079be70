package dev.anneau.webnn;

/** The WebNN {@code MLRecurrentNetworkDirection} enum: direction of gru/lstm. */
public enum MLRecurrentNetworkDirection implements SpecEnum {
    FORWARD("forward"),
    BACKWARD("backward"),
    BOTH("both");

    private final String specName;

    MLRecurrentNetworkDirection(String specName) { this.specName = specName; }

    @Override
    public String specName() { return specName; }

    public static MLRecurrentNetworkDirection fromSpecName(String name) { return SpecEnum.parse(MLRecurrentNetworkDirection.class, name); }

    @Override
    public String toString() { return specName; }
}
