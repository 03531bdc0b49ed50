package dev.braid.dev;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevOptionsTest {

    @Test
    void defaultsAreTheContractsPorts() {
        assertThat(DevOptions.parse(List.of())).isEqualTo(new DevOptions(8080, 9090, 9191, 1, false));
    }

    @Test
    void replicasTakeConsecutivePorts() {
        DevOptions options = DevOptions.parse(List.of("--replicas", "3", "--port", "7000", "--admin-port", "7100", "--no-l1"));
        assertThat(options.noL1()).isTrue();
        assertThat(options.ports()).extracting(DevOptions.PortUse::port)
                .containsExactly(7000, 7100, 7001, 7101, 7002, 7102, 9191);
    }

    @Test
    void helpIsAnOptionNotAMistake() {
        assertThat(DevOptions.wantsHelp(List.of("--help"))).isTrue();
        assertThat(DevOptions.wantsHelp(List.of("--replicas", "3", "-h"))).isTrue();
        assertThat(DevOptions.wantsHelp(List.of("--replicas", "3"))).isFalse();
        assertThat(DevOptions.USAGE).contains("--help").contains("BRAID READY");
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        assertThatThrownBy(() -> DevOptions.parse(List.of("--port"))).hasMessage("--port needs a value");
        assertThatThrownBy(() -> DevOptions.parse(List.of("--port", "http"))).hasMessage("--port must be a number (was 'http')");
        assertThatThrownBy(() -> DevOptions.parse(List.of("--replicas", "0"))).hasMessage("--replicas must be 1..16 (was 0)");
        assertThatThrownBy(() -> DevOptions.parse(List.of("--fast"))).hasMessage("unknown option --fast");
        assertThatThrownBy(() -> DevOptions.parse(List.of("--replicas", "2", "--port", "8080", "--admin-port", "8081")))
                .hasMessageContaining("port 8081 is needed twice");
    }
}
