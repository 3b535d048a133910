/**
 * Test support shared by every module: throwaway PostgreSQL databases and replayable randomness.
 * Only ever a test-scoped dependency.
 */
package io.weft.testkit;
