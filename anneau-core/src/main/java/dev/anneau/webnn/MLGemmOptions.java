package dev.anneau.webnn;

/**
 * The WebNN {@code MLGemmOptions} dictionary: gemm options. A null component means "not given", and the
 * spec default applies:
 * <ul>
 * <li>{@code c} (optional)</li>
 * <li>{@code alpha} (default 1)</li>
 * <li>{@code beta} (default 1)</li>
 * <li>{@code aTranspose} (default false)</li>
 * <li>{@code bTranspose} (default false)</li>
 * </ul>
 */
public record MLGemmOptions(MLOperand c, Double alpha, Double beta, Boolean aTranspose, Boolean bTranspose, String label) implements MLOptions {
    /** All defaults. */
    public MLGemmOptions() { this(null, null, null, null, null, null); }

    public MLGemmOptions withC(MLOperand value) { return new MLGemmOptions(value, alpha, beta, aTranspose, bTranspose, label); }

    public MLGemmOptions withAlpha(Double value) { return new MLGemmOptions(c, value, beta, aTranspose, bTranspose, label); }

    public MLGemmOptions withBeta(Double value) { return new MLGemmOptions(c, alpha, value, aTranspose, bTranspose, label); }

    public MLGemmOptions withATranspose(Boolean value) { return new MLGemmOptions(c, alpha, beta, value, bTranspose, label); }

    public MLGemmOptions withBTranspose(Boolean value) { return new MLGemmOptions(c, alpha, beta, aTranspose, value, label); }

    public MLGemmOptions withLabel(String value) { return new MLGemmOptions(c, alpha, beta, aTranspose, bTranspose, value); }
}
