package dev.parley.cli.crash;

/** One append the writer reported as done: {@code ack <session> <branch> <seq> <text>}. */
record Ack(String session, String branch, long seq, String text) {
}
