package dev.anneau.conformance.validation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneau.conformance.validation.SubtestRunner.Outcome;
import dev.anneau.webnn.MLContextOptions;
import org.junit.jupiter.api.Test;

/**
 * The replay rules of {@link SubtestRunner}, exercised with {@code relu} (the WPT recordings use
 * add/sub/mul in the same patterns): builder reuse after build, dispatch input naming, result
 * references, label checks, deferred promise checks.
 */
class SubtestRunnerTest {
    private static final String F2 = "{\"operand\": {\"dataType\": \"float32\", \"shape\": [2]}}";
    private static final String T2W = "{\"dataType\": \"float32\", \"shape\": [2], \"writable\": true}";
    private static final String T2R = "{\"dataType\": \"float32\", \"shape\": [2], \"readable\": true}";

    private final SubtestRunner runner = new SubtestRunner(MLContextOptions.defaults().withBackend("cpu"));

    private Outcome run(String... calls) {
        String json = "[{\"file\": \"x.js\", \"tests\": [{\"name\": \"t\", \"calls\": [" + String.join(",", calls) + "]}]}]";
        return runner.run(ValidationSuite.parse(json, "inline").runs().get(0).tests().get(0));
    }

    private static String call(String method, String args, String expect) {
        return "{\"method\": \"" + method + "\", \"args\": " + args + ", \"expect\": " + expect + "}";
    }

    private static final String OK = "null";
    private static final String INVALID_STATE = "{\"throws\": \"DOMException:InvalidStateError\", \"via\": \"assert_throws_dom\"}";

    @Test
    void anOperatorOnABuiltBuilderReusesItsOperandsAndThrowsInvalidStateError() {
        Outcome o = run(call("relu", "[" + F2 + "]", OK),
                call("build", "[{\"c\": {\"operand\": {\"from\": 5}}}]", OK),
                call("relu", "[" + F2 + "]", INVALID_STATE));
        assertTrue(o.passed(), o::reason);
    }

    @Test
    void buildingAgainRejectsAndANewGraphGetsANewBuilder() {
        Outcome o = run(call("relu", "[" + F2 + "]", OK),
                call("build", "[{\"c\": {\"operand\": {\"from\": 5}}}]", OK),
                call("build", "[{\"c\": {\"operand\": {\"from\": 5}}}]", "{\"rejects\": \"DOMException:InvalidStateError\"}"),
                call("relu", "[" + F2 + "]", OK),
                call("build", "[{\"d\": {\"operand\": {\"from\": 9}}}]", OK));
        assertTrue(o.passed(), o::reason);
    }

    @Test
    void dispatchInputsGetTheirNamesAndTheReadSeesTheResult() {
        Outcome o = run(call("relu", "[" + F2 + "]", OK),
                call("build", "[{\"y\": {\"operand\": {\"from\": 2}}}]", OK),
                call("context.createTensor", "[" + T2W + "]", OK),
                call("context.createTensor", "[" + T2R + "]", OK),
                call("context.writeTensor", "[{\"tensor\": " + T2W + "}, {\"typedArray\": \"Float32Array\", \"length\": 2, \"fill\": -2}]", OK),
                call("context.dispatch", "[{\"graph\": true}, {\"x\": {\"tensor\": " + T2W + "}}, {\"y\": {\"tensor\": " + T2R + "}}]", OK),
                call("context.readTensor", "[{\"tensor\": " + T2R + "}, {\"undefined\": true}]", "{\"resolves\": {\"float32\": [0, 0]}}"),
                call("context.writeTensor", "[{\"tensor\": " + T2W + "}, {\"typedArray\": \"Float32Array\", \"length\": 2, \"fill\": 3}]", OK),
                call("context.dispatch", "[{\"graph\": true}, {\"x\": {\"tensor\": " + T2W + "}}, {\"y\": {\"tensor\": " + T2R + "}}]", OK),
                call("context.readTensor", "[{\"tensor\": " + T2R + "}, {\"undefined\": true}]", "{\"resolves\": {\"float32\": [3, 3]}}"));
        assertTrue(o.passed(), o::reason);
        Outcome wrong = run(call("relu", "[" + F2 + "]", OK),
                call("build", "[{\"y\": {\"operand\": {\"from\": 2}}}]", OK),
                call("context.createTensor", "[" + T2W + "]", OK),
                call("context.createTensor", "[" + T2R + "]", OK),
                call("context.writeTensor", "[{\"tensor\": " + T2W + "}, {\"typedArray\": \"Float32Array\", \"length\": 2, \"fill\": 3}]", OK),
                call("context.dispatch", "[{\"graph\": true}, {\"x\": {\"tensor\": " + T2W + "}}, {\"y\": {\"tensor\": " + T2R + "}}]", OK),
                call("context.readTensor", "[{\"tensor\": " + T2R + "}, {\"undefined\": true}]", "{\"resolves\": {\"float32\": [0, 0]}}"));
        assertFalse(wrong.passed(), "a wrong expected value must fail");
    }

    @Test
    void resultsAreReferencedAndChecked() {
        assertTrue(run(call("relu", "[" + F2 + "]", OK),
                call("relu", "[{\"operand\": {\"from\": 7}}]", "{\"output\": {\"dataType\": \"float32\", \"shape\": [2]}}")).passed());
        assertFalse(run(call("relu", "[" + F2 + "]", OK),
                call("relu", "[{\"operand\": {\"from\": 7}}]", "{\"output\": {\"dataType\": \"float32\", \"shape\": [3]}}")).passed());
    }

    @Test
    void theLabelMustBeInTheMessage() {
        String other = "{\"operand\": {\"dataType\": \"float32\", \"shape\": [2]}, \"fromOtherBuilder\": true}";
        Outcome labelled = run(call("relu", "[" + other + ", {\"label\": \"my_label\"}]",
                "{\"throws\": \"TypeError\", \"via\": \"assert_throws_with_label\"}"));
        assertTrue(labelled.passed(), labelled::reason);
        Outcome missing = run(call("input", "[\"\", {\"dataType\": \"float32\", \"shape\": [2], \"label\": \"absent\"}]",
                "{\"throws\": \"TypeError\", \"via\": \"assert_throws_with_label\"}"));
        assertFalse(missing.passed(), "a TypeError without [absent] must not pass");
    }

    @Test
    void anExpectedThrowMustHappenAndBeOfTheRightType() {
        assertFalse(run(call("relu", "[" + F2 + "]", "{\"throws\": \"TypeError\"}")).passed());
        assertFalse(run(call("relu", "[" + F2 + "]", INVALID_STATE)).passed());
        assertTrue(run(call("relu", "[{\"undefined\": true}]", "{\"throws\": \"TypeError\"}")).passed());
    }

    @Test
    void promisesAreCheckedAfterTheCalls() {
        assertTrue(run(call("createContext", "[{\"powerPreference\": \"auto\"}]", OK),
                "{\"method\": \"<promise>\", \"args\": null, \"expect\": {\"rejects\": \"TypeError\"}}").passed());
        assertFalse(run(call("createContext", "[{\"powerPreference\": \"low-power\"}]", OK),
                "{\"method\": \"<promise>\", \"args\": null, \"expect\": {\"rejects\": \"TypeError\"}}").passed());
        assertTrue(run(call("context.createTensor", "[" + T2R + "]", OK),
                call("context.destroy", "[]", OK),
                call("context.readTensor", "[{\"tensor\": " + T2R + "}, {\"undefined\": true}]", "{\"rejects\": \"DOMException:InvalidStateError\"}")).passed());
    }
}
