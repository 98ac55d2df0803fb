package io.allsource.ingest.views.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class VersionSetTest {

    @Test
    void staysCompactWhileVersionsArriveInOrder() {
        VersionSet set = VersionSet.EMPTY.plus(1).plus(2).plus(3);

        assertThat(set).isEqualTo(new VersionSet(3, List.of()));
        assertThat(set.size()).isEqualTo(3);
        assertThat(set.highest()).isEqualTo(3);
    }

    @Test
    void remembersVersionsAboveAHoleAndFoldsThemInWhenTheHoleFills() {
        VersionSet withHole = VersionSet.EMPTY.plus(1).plus(4).plus(3);

        assertThat(withHole).isEqualTo(new VersionSet(1, List.of(3L, 4L)));
        assertThat(withHole.contains(2)).isFalse();
        assertThat(withHole.contains(4)).isTrue();
        assertThat(withHole.size()).isEqualTo(3);
        assertThat(withHole.highest()).isEqualTo(4);

        assertThat(withHole.plus(2)).isEqualTo(new VersionSet(4, List.of()));
    }

    @Test
    void addingASeenVersionChangesNothing() {
        VersionSet set = VersionSet.EMPTY.plus(1).plus(5);

        assertThat(set.plus(1)).isEqualTo(set);
        assertThat(set.plus(5)).isEqualTo(set);
    }

    @Test
    void refusesVersionsBelowOne() {
        assertThatThrownBy(() -> VersionSet.EMPTY.plus(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("start at 1");
    }

    @Test
    void survivesItsJsonRoundTrip() throws Exception {
        VersionSet set = VersionSet.EMPTY.plus(1).plus(7).plus(9);
        byte[] json = JsonSerde.of(VersionSet.class).serializer().serialize("t", set);

        assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"contiguous\":1,\"above\":[7,9]}");
        assertThat(JsonSerde.of(VersionSet.class).deserializer().deserialize("t", json)).isEqualTo(set);
    }
}
