package dev.anneau.backend.cpu.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BroadcastPlanTest {

    /** Input linear index of output element {@code o} by the NumPy definition, computed naively. */
    private static int naiveIndex(int o, int[] out, int[] in) {
        int[] idx = new int[out.length];
        for (int a = out.length - 1; a >= 0; a--) {
            idx[a] = o % out[a];
            o /= out[a];
        }
        int lin = 0;
        for (int a = 0; a < in.length; a++) {
            int oa = a + out.length - in.length;
            lin = lin * in[a] + (in[a] == 1 ? 0 : idx[oa]);
        }
        return lin;
    }

    private static void check(int[] out, int[]... in) {
        int size = 1;
        for (int d : out) size *= d;
        int[][] seen = new int[in.length][size];
        boolean[] visited = new boolean[size];
        int[] next = {0};
        BroadcastPlan plan = BroadcastPlan.of(out, in);
        plan.forEachRun((ro, off, n) -> {
            assertEquals(next[0], ro, "runs come in output order");
            for (int i = 0; i < n; i++) {
                visited[ro + i] = true;
                for (int k = 0; k < in.length; k++) seen[k][ro + i] = off[k] + i * plan.innerStride[k];
            }
            next[0] += n;
        });
        assertEquals(size, next[0]);
        for (int o = 0; o < size; o++) {
            assertEquals(true, visited[o]);
            for (int k = 0; k < in.length; k++) assertEquals(naiveIndex(o, out, in[k]), seen[k][o], "input " + k + " at " + o);
        }
    }

    @Test
    void visitsEveryOutputElementWithTheNumpyInputIndex() {
        check(new int[] {2, 3, 4}, new int[] {2, 3, 4}, new int[] {2, 3, 4});
        check(new int[] {2, 4, 3}, new int[] {2, 1, 3}, new int[] {4, 1});
        check(new int[] {3, 4, 2, 5}, new int[] {3, 1, 2, 1}, new int[] {}, new int[] {1, 4, 1, 5});
        check(new int[] {8, 7, 6, 5}, new int[] {8, 1, 6, 1}, new int[] {7, 1, 5});
        check(new int[] {1, 1}, new int[] {1}, new int[] {1, 1});
        check(new int[] {}, new int[] {}, new int[] {});
        check(new int[] {2, 1, 3, 1, 4}, new int[] {1, 1, 3, 1, 4}, new int[] {2, 1, 1, 1, 1}, new int[] {3, 1, 1});
    }

    @Test
    void sameShapesAndScalarsCollapseToOneRun() {
        BroadcastPlan p = BroadcastPlan.of(new int[] {4, 5, 6}, new int[] {4, 5, 6}, new int[] {});
        assertEquals(120, p.inner);
        assertArrayEquals(new int[] {1, 0}, p.innerStride);
        BroadcastPlan q = BroadcastPlan.of(new int[] {4, 5, 6}, new int[] {4, 1, 1}, new int[] {4, 5, 6});
        assertEquals(30, q.inner, "the two trailing axes merge");
    }
}
