print("door")
