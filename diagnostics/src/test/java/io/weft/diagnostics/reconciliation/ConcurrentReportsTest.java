package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.trace.TraceTestApplication;
import org.springframework.boot.test.context.SpringBootTest;

/** {@link ConcurrentReportsContract} on the embedded H2 default. */
@SpringBootTest(classes = TraceTestApplication.class)
class ConcurrentReportsTest extends ConcurrentReportsContract {}
