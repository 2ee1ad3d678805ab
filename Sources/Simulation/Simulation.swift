/// The Raft simulation harness.
public enum Simulation {}
