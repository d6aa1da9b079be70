package dev.anneau.webnn;

/** An enum of the spec's IDL whose values have spec spellings ("nchw", "nearest-neighbor"). */
public interface SpecEnum {
    String specName();

    /** Converts a spec spelling; an unknown value is a TypeError, as WebIDL enum conversion is. */
    static <E extends Enum<E> & SpecEnum> E parse(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.specName().equals(name)) return e;
        }
        StringBuilder valid = new StringBuilder();
        for (E e : type.getEnumConstants()) valid.append(valid.isEmpty() ? "" : ", ").append(e.specName());
        throw new TypeError("'" + name + "' is not a valid " + type.getSimpleName() + "; expected one of " + valid);
    }
}
