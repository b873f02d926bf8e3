def main():
    print("ogi")
