package dev.parley.privacy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IpAddressDetectorTest {
    private final Detector detector = Detectors.ipAddress();

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "host 192.168.1.1 is up                         | 192.168.1.1",
            "dns 8.8.8.8.                                   | 8.8.8.8",
            "range 10.0.0.255/24                            | 10.0.0.255",
            "at 0.0.0.0:8080                                | 0.0.0.0",
            "v6 2001:db8::1 here                            | 2001:db8::1",
            "full 2001:0db8:85a3:0000:0000:8a2e:0370:7334   | 2001:0db8:85a3:0000:0000:8a2e:0370:7334",
            "upper 2001:DB8:85A3::8A2E:370:7334             | 2001:DB8:85A3::8A2E:370:7334",
            "link fe80::1ff:fe23:4567:890a.                 | fe80::1ff:fe23:4567:890a",
            "mapped ::ffff:192.0.2.128                      | ::ffff:192.0.2.128",
            "url http://[2001:db8::1]:443/                  | 2001:db8::1",
    })
    void findsIpv4AndIpv6Addresses(String text, String expected) {
        assertThat(Found.texts(detector, text, EntityType.IP_ADDRESS)).containsExactly(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "version 1.2.3.4", "v1.2.3.4", "build 10.0.19041.1",
            "oid 1.3.6.1.4.1.311", "at 12:30:45", "mac 00:1A:2B:3C:4D:5E", "std::vector", "loopback ::1", "a:b",
            "1.2.3.4a", "dead:beef:cafe", "ratio 3:2:1"
    })
    void ignoresVersionsOidsTimesAndMacAddresses(String text) {
        assertThat(detector.detect(text)).isEmpty();
    }

    @Test
    void normalisesIpv6SpellingsOfOneAddressToOneKey() {
        assertThat(detector.normalise(EntityType.IP_ADDRESS, "2001:DB8::1"))
                .isEqualTo(detector.normalise(EntityType.IP_ADDRESS, "2001:0db8:0:0:0:0:0:1"));
        assertThat(detector.normalise(EntityType.IP_ADDRESS, "192.168.1.1")).isEqualTo("192.168.1.1");
    }
}
