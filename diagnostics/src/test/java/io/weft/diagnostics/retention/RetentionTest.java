package io.weft.diagnostics.retention;

import io.weft.diagnostics.trace.TraceTestApplication;
import org.springframework.boot.test.context.SpringBootTest;

/** {@link RetentionContract} on the embedded H2 default. */
@SpringBootTest(classes = TraceTestApplication.class)
class RetentionTest extends RetentionContract {}
