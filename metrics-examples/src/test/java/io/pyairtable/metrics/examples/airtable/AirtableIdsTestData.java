package io.pyairtable.metrics.examples.airtable;

import java.util.Random;

/** Random, valid-looking Airtable ids for tests that play a hostile client. */
final class AirtableIdsTestData {

  private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private AirtableIdsTestData() {}

  /** {@code app} and 14 random letters or digits. */
  static String randomBaseId(Random random) {
    StringBuilder id = new StringBuilder("app");
    for (int i = 0; i < 14; i++) {
      id.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
    }
    return id.toString();
  }
}
