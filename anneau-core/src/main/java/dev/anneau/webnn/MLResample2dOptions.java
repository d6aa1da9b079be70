package dev.anneau.webnn;

/**
 * The WebNN {@code MLResample2dOptions} dictionary: resample2d options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code mode} (default nearest-neighbor)</li>
 * <li>{@code scales} (default [1,1])</li>
 * <li>{@code sizes} (optional)</li>
 * <li>{@code axes} (default [2,3])</li>
 * </ul>
 */
public record MLResample2dOptions(MLInterpolationMode mode, float[] scales, int[] sizes, int[] axes, String label) implements MLOptions {
    /** All defaults. */
    public MLResample2dOptions() { this(null, null, null, null, null); }

    public MLResample2dOptions withMode(MLInterpolationMode value) { return new MLResample2dOptions(value, scales, sizes, axes, label); }

    public MLResample2dOptions withScales(float... value) { return new MLResample2dOptions(mode, value, sizes, axes, label); }

    public MLResample2dOptions withSizes(int... value) { return new MLResample2dOptions(mode, scales, value, axes, label); }

    public MLResample2dOptions withAxes(int... value) { return new MLResample2dOptions(mode, scales, sizes, value, label); }

    public MLResample2dOptions withLabel(String value) { return new MLResample2dOptions(mode, scales, sizes, axes, value); }
}
