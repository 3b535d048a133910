package io.weft.ipam;

import org.springframework.boot.test.context.SpringBootTest;

/** {@link GlobalPoolsContract} on H2. */
@SpringBootTest(classes = IpamTestApplication.class)
class H2GlobalPoolsTest extends GlobalPoolsContract {}
