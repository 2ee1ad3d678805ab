print("cockatrice")
