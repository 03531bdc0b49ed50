package dev.braid.config;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressRangeTest {

    @Test
    void rangesContainTheirAddressesOnly() throws Exception {
        AddressRange tens = AddressRange.parse("10.0.0.0/8");
        assertThat(tens.contains(InetAddress.getByName("10.200.3.4"))).isTrue();
        assertThat(tens.contains(InetAddress.getByName("11.0.0.1"))).isFalse();
        AddressRange odd = AddressRange.parse("192.168.1.128/25");
        assertThat(odd.contains(InetAddress.getByName("192.168.1.200"))).isTrue();
        assertThat(odd.contains(InetAddress.getByName("192.168.1.127"))).isFalse();
        AddressRange one = AddressRange.parse("127.0.0.1");
        assertThat(one.contains(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(one.contains(InetAddress.getByName("127.0.0.2"))).isFalse();
        AddressRange six = AddressRange.parse("2001:db8::/32");
        assertThat(six.contains(InetAddress.getByName("2001:db8:1::5"))).isTrue();
        assertThat(six.contains(InetAddress.getByName("10.0.0.1"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"proxy.internal", "10.0.0.0/33", "10.0.0.0/x", "", "/8", "::1/129", "1.2.3.4/-1"})
    void namesAndBadPrefixesAreRefused(String text) {
        assertThatThrownBy(() -> AddressRange.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
