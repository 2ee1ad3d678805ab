print("cockatrice-sim: not built yet")
