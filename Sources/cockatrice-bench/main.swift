print("cockatrice-bench: not built yet")
