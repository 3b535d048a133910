/**
 * A deliberately broken miniature of Weft's module layout: each class here breaks one house rule,
 * so {@code ModuleBoundaryTest} can show that every rule fails when it should.
 */
package io.weft.archfixture;
