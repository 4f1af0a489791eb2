"""``python -m samestory`` runs the command line."""

from samestory.cli import main

if __name__ == "__main__":
    main()
