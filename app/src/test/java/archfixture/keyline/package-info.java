/**
 * Deliberate violations of Keyline's dependency rules, laid out like the real packages, so the architecture
 * tests can prove each rule catches what it should.
 */
package archfixture.keyline;
