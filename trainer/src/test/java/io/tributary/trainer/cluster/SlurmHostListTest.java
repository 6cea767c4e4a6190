package io.tributary.trainer.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlurmHostListTest
{
    @Test
    void expandsRangesListsAndPlainNames()
    {
        assertEquals(List.of("gpu01", "gpu02", "gpu03", "gpu04", "gpu07", "cpu3"),
            SlurmHostList.expand("gpu[01-04,07],cpu3"));
        assertEquals(List.of("node9", "node10", "node11"), SlurmHostList.expand("node[9-11]"));
        assertEquals(List.of("a008", "a009", "a010"), SlurmHostList.expand("a[008-010]"), "padding of the lower bound");
        assertEquals(List.of("solo"), SlurmHostList.expand("solo"));
    }

    @Test
    void severalGroupsExpandAsTheirProductWithSuffixes()
    {
        assertEquals(List.of("r1n1-ib", "r1n2-ib", "r2n1-ib", "r2n2-ib", "x"), SlurmHostList.expand("r[1-2]n[1-2]-ib,x"));
    }

    @Test
    void malformedListsNameTheProblem()
    {
        assertMessage("unbalanced '['", "n[1-2");
        assertMessage("unbalanced ']'", "n1-2]");
        assertMessage("expected a number or a range such as 01-04 in [...], got 'a-b'", "n[a-b]");
        assertMessage("range 5-3 runs backwards", "n[5-3]");
        assertMessage("empty host name", "a,,b");
        assertMessage("more than 65536 hosts", "n[0-99999999]");
    }

    private static void assertMessage(final String contains, final String list)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> SlurmHostList.expand(list));
        assertTrue(ex.getMessage().contains(contains), ex.getMessage());
    }
}
