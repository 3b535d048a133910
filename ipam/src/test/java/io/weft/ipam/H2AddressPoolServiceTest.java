package io.weft.ipam;

import org.springframework.boot.test.context.SpringBootTest;

/** {@link AddressPoolServiceContract} on H2 (the default run's database). */
@SpringBootTest(classes = IpamTestApplication.class)
class H2AddressPoolServiceTest extends AddressPoolServiceContract {}
