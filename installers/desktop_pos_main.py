"""Entry script of the PyInstaller bundle: the same ``main`` as the ``desktop-pos`` command."""

from desktop_pos.app import main

if __name__ == "__main__":
    raise SystemExit(main())
