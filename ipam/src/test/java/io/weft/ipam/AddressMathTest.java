package io.weft.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.testkit.SeededRandom;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressMathTest {

  @Test
  void parsesIpv4PrefixAndDerivesGatewayAndHosts() {
    IpPrefix prefix = IpPrefix.parse("10.0.0.0/24");
    assertThat(prefix.family()).isEqualTo(IpFamily.V4);
    assertThat(prefix.size()).isEqualTo(BigInteger.valueOf(256));
    assertThat(prefix.firstHost()).hasToString("10.0.0.1");
    assertThat(prefix.lastHost()).hasToString("10.0.0.254");
    assertThat(prefix.last()).hasToString("10.0.0.255");
    assertThat(prefix).hasToString("10.0.0.0/24");
    assertThat(prefix.hosts().size()).isEqualTo(BigInteger.valueOf(254));
  }

  @Test
  void parsesIpv6PrefixCanonically() {
    IpPrefix prefix = IpPrefix.parse("2001:0DB8:0000::/64");
    assertThat(prefix).hasToString("2001:db8::/64");
    assertThat(prefix.family()).isEqualTo(IpFamily.V6);
    assertThat(prefix.size()).isEqualTo(BigInteger.ONE.shiftLeft(64));
    assertThat(prefix.firstHost()).hasToString("2001:db8::1");
    assertThat(prefix.lastHost()).hasToString("2001:db8::ffff:ffff:ffff:ffff");
  }

  @Test
  void pointToPointAndHostPrefixesKeepEveryAddress() {
    assertThat(IpPrefix.parse("10.0.0.0/31").hosts()).hasToString("10.0.0.0-10.0.0.1");
    assertThat(IpPrefix.parse("10.0.0.7/32").firstHost()).hasToString("10.0.0.7");
    assertThat(IpPrefix.parse("::1/128").firstHost()).hasToString("::1");
    assertThat(IpPrefix.parse("0.0.0.0/0").size()).isEqualTo(BigInteger.ONE.shiftLeft(32));
  }

  @Test
  void hostBitsSetIsRefusedWithASuggestion() {
    assertThatThrownBy(() -> IpPrefix.parse("10.0.0.1/24"))
        .isInstanceOf(IpamValidationException.class)
        .hasMessage("10.0.0.1/24 has host bits set; did you mean 10.0.0.0/24?")
        .satisfies(e -> assertThat(((IpamException) e).field()).contains("cidr"));
    assertThatThrownBy(() -> IpPrefix.parse("2001:db8::1/64"))
        .hasMessageContaining("did you mean 2001:db8::/64?");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "10.0.0.0/33",
        "2001:db8::/129",
        "10.0.0/24",
        "10.0.0.256/24",
        "10.1/16",
        "10.0.0.*/24",
        "10.0.0.0-10.0.0.5/24",
        "fe80::1%eth0/64",
        "hello",
        "10.0.0.0/255.255.255.0",
        "010.0.0.0/8",
        "10.0.0.0/-1"
      })
  void malformedPrefixesAreValidationErrors(String text) {
    assertThatThrownBy(() -> IpPrefix.parse(text))
        .isInstanceOf(IpamValidationException.class)
        .satisfies(e -> assertThat(((IpamException) e).field()).contains("cidr"));
  }

  @Test
  void aPrefixNeedsItsLengthAndAnAddressMustNotHaveOne() {
    assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0"))
        .isInstanceOf(IpamValidationException.class)
        .hasMessageContaining("has no prefix length");
    assertThatThrownBy(() -> IpAddressValue.parse("10.0.0.0/24"))
        .isInstanceOf(IpamValidationException.class)
        .hasMessageContaining("is a prefix, not a single address");
  }

  @Test
  void addressesParseFormatAndCompare() {
    IpAddressValue v4 = IpAddressValue.parse(" 192.168.1.10 ");
    assertThat(v4.value()).isEqualTo(BigInteger.valueOf(0xC0A8010AL));
    assertThat(v4).hasToString("192.168.1.10");
    assertThat(v4.plus(1)).hasToString("192.168.1.11");
    IpAddressValue v6 = IpAddressValue.parse("2001:DB8:0:0:0:0:0:1");
    assertThat(v6).hasToString("2001:db8::1");
    assertThat(v4).isLessThan(v6);
    assertThat(IpAddressValue.parse("10.0.0.2")).isGreaterThan(IpAddressValue.parse("10.0.0.1"));
    assertThat(IpAddressValue.of(v6.toInetAddress())).isEqualTo(v6);
    assertThat(IpAddressValue.of(v4.toInetAddress())).isEqualTo(v4);
    assertThatThrownBy(() -> IpAddressValue.parse("255.255.255.255").plus(1))
        .isInstanceOf(IpamValidationException.class);
  }

  @Test
  void containmentAndOverlap() {
    IpPrefix net = IpPrefix.parse("10.0.0.0/16");
    assertThat(net.contains(IpPrefix.parse("10.0.4.0/24"))).isTrue();
    assertThat(net.contains(IpPrefix.parse("10.0.0.0/8"))).isFalse();
    assertThat(net.overlaps(IpPrefix.parse("10.0.0.0/8"))).isTrue();
    assertThat(net.overlaps(IpPrefix.parse("10.1.0.0/16"))).isFalse();
    assertThat(net.overlaps(IpPrefix.parse("::/0"))).isFalse();
    assertThat(net.contains(IpAddressValue.parse("10.0.255.255"))).isTrue();
    assertThat(net.contains(IpAddressValue.parse("10.1.0.0"))).isFalse();
    assertThat(net.contains(IpAddressValue.parse("::a00:1"))).isFalse();
  }

  @Test
  void rangesParseAndCompare() {
    IpRange range = IpRange.parse("10.0.0.100-10.0.0.199");
    assertThat(range.size()).isEqualTo(BigInteger.valueOf(100));
    assertThat(range.contains(IpAddressValue.parse("10.0.0.150"))).isTrue();
    assertThat(range.contains(IpAddressValue.parse("10.0.0.200"))).isFalse();
    assertThat(range.overlaps(IpRange.parse("10.0.0.199-10.0.0.250"))).isTrue();
    assertThat(range.overlaps(IpRange.parse("10.0.0.200-10.0.0.250"))).isFalse();
    assertThat(IpRange.parse("2001:db8::10-2001:db8::1f").size()).isEqualTo(BigInteger.valueOf(16));
    assertThat(IpRange.parse("10.0.0.5").size()).isEqualTo(BigInteger.ONE);
    assertThatThrownBy(() -> IpRange.parse("10.0.0.9-10.0.0.1"))
        .isInstanceOf(IpamValidationException.class)
        .hasMessageContaining("is after its end");
    assertThatThrownBy(() -> IpRange.parse("10.0.0.1-2001:db8::1"))
        .isInstanceOf(IpamValidationException.class)
        .hasMessageContaining("mixes IPv4 and IPv6");
    assertThatThrownBy(() -> IpRange.of("10.0.0.1", "nope"))
        .isInstanceOf(IpamValidationException.class)
        .satisfies(e -> assertThat(((IpamException) e).field()).contains("end"));
  }

  @Test
  void randomAddressesRoundTripThroughText() {
    Random random = SeededRandom.create("AddressMathTest.randomAddressesRoundTripThroughText");
    for (int i = 0; i < 2_000; i++) {
      IpFamily family = random.nextBoolean() ? IpFamily.V4 : IpFamily.V6;
      BigInteger value = new BigInteger(family.bits(), random);
      IpAddressValue address = IpAddressValue.of(family, value);
      assertThat(IpAddressValue.parse(address.toString())).isEqualTo(address);
      int length = random.nextInt(family.bits() + 1);
      BigInteger network =
          value.shiftRight(family.bits() - length).shiftLeft(family.bits() - length);
      IpPrefix prefix = new IpPrefix(IpAddressValue.of(family, network), length);
      assertThat(IpPrefix.parse(prefix.toString())).isEqualTo(prefix);
      assertThat(prefix.contains(address)).isTrue();
    }
  }

  @Test
  void macAddresses() {
    MacAddress mac = MacAddress.parse("02-57-46-AB-00-01");
    assertThat(mac).hasToString("02:57:46:ab:00:01");
    assertThat(mac.isLocallyAdministered()).isTrue();
    assertThat(mac.isMulticast()).isFalse();
    assertThat(MacAddress.parse(mac.toString())).isEqualTo(mac);
    assertThat(mac.toBytes()).containsExactly(0x02, 0x57, 0x46, 0xab, 0x00, 0x01);
    for (String bad : new String[] {"", "02:57:46:00:00", "02:57:46:00:00:0g", "0257.4600.0001"}) {
      assertThatThrownBy(() -> MacAddress.parse(bad)).isInstanceOf(IpamValidationException.class);
    }
  }

  @Test
  void vsidBounds() {
    assertThat(new Vsid(4096).value()).isEqualTo(4096);
    assertThat(new Vsid(16_777_214).value()).isEqualTo(16_777_214);
    assertThatThrownBy(() -> new Vsid(4095))
        .isInstanceOf(IpamValidationException.class)
        .hasMessage("VSID 4095 is outside the usable range 4096..16777214 (0..4095 are reserved)");
    assertThatThrownBy(() -> new Vsid(16_777_215)).isInstanceOf(IpamValidationException.class);
    assertThatThrownBy(() -> new Vsid(-1)).isInstanceOf(IpamValidationException.class);
  }

  @Test
  void idsAndUsage() {
    PoolId id = PoolId.random();
    assertThat(PoolId.parse(id.toString())).isEqualTo(id);
    assertThatThrownBy(() -> RangeId.parse("x")).isInstanceOf(IpamValidationException.class);
    PoolUsage usage = PoolUsage.of(BigInteger.valueOf(254), BigInteger.valueOf(127));
    assertThat(usage.free()).isEqualTo(BigInteger.valueOf(127));
    assertThat(usage.percent()).isEqualTo(50.0);
  }
}
