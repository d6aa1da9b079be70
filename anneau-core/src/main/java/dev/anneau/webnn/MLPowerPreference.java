package dev.anneau.webnn;

/** The WebNN {@code MLPowerPreference} enum. */
public enum MLPowerPreference {
    DEFAULT("default"), HIGH_PERFORMANCE("high-performance"), LOW_POWER("low-power");

    private final String specName;

    MLPowerPreference(String specName) { this.specName = specName; }

    public String specName() { return specName; }

    public static MLPowerPreference fromSpecName(String name) {
        for (MLPowerPreference p : values()) if (p.specName.equals(name)) return p;
        throw new TypeError("'" + name + "' is not a valid MLPowerPreference; expected default, high-performance or low-power");
    }
}
