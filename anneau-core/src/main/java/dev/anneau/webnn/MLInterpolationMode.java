package dev.anneau.webnn;

/** The WebNN {@code MLInterpolationMode} enum: resample2d interpolation. */
public enum MLInterpolationMode implements SpecEnum {
    NEAREST_NEIGHBOR("nearest-neighbor"),
    LINEAR("linear");

    private final String specName;

    MLInterpolationMode(String specName) { this.specName = specName; }

    @Override
    public String specName() { return specName; }

    public static MLInterpolationMode fromSpecName(String name) { return SpecEnum.parse(MLInterpolationMode.class, name); }

    @Override
    public String toString() { return specName; }
}
