package io.weft.archfixture.dataplane;

import org.springframework.stereotype.Component;

/** Breaks "the data plane has no Spring". */
@Component
public class SpringInTheDataPlane {}
