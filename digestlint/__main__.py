from digestlint.cli import main

main()
