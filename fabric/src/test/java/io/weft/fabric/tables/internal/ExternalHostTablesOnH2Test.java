package io.weft.fabric.tables.internal;

import io.weft.fabric.FabricTestApplication;
import org.springframework.boot.test.context.SpringBootTest;

/** External hosts in host tables, on H2. */
@SpringBootTest(classes = FabricTestApplication.class)
class ExternalHostTablesOnH2Test extends ExternalHostTablesContract {}
