package io.weft.fabric.tables.internal;

import io.weft.fabric.FabricTestApplication;
import org.springframework.boot.test.context.SpringBootTest;

/** Agents seen through their polls, on H2. */
@SpringBootTest(
    classes = FabricTestApplication.class,
    properties = {"weft.tables.seen-flush-interval=1h", "weft.tables.migration-sweep-interval=1h"})
class AgentLivenessOnH2Test extends AgentLivenessContract {}
