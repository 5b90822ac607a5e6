<#
.SYNOPSIS
    Build the desktop-pos Windows installer: dist\desktop-pos-<version>-setup.exe.

.DESCRIPTION
    1. a virtual environment (build\venv-win) with the pinned packages (constraints.txt) and PyInstaller
       (the project's `build` extra);
    2. the one-folder bundle from installers\desktop-pos.spec (the spec the Linux .deb uses);
    3. with -SelfTest: the bundle's `--version` and `selftest` (offscreen) must pass;
    4. Inno Setup 6 (ISCC.exe) on installers\windows\desktop-pos.iss, with the version from
       pyproject.toml.
    Needs PowerShell 7 (pwsh), Python 3.11 (x64) and Inno Setup 6. It cannot run on Linux; the CI workflow
    .github/workflows/windows-installer.yml runs it on a Windows runner.

.EXAMPLE
    pwsh -File installers\windows\build.ps1 -SelfTest
#>
#Requires -Version 7
[CmdletBinding()]
param(
    # The Python 3.11 to create the virtual environment with.
    [string]$Python = "python",
    # ISCC.exe; found on PATH or in the usual Inno Setup 6 folders when not given.
    [string]$Iscc = "",
    [switch]$SelfTest
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
Set-Location $Root

function Invoke-Checked {
    param([string]$File, [string[]]$Arguments)
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE"
    }
}

function Find-Iscc {
    if ($Iscc) { return $Iscc }
    $onPath = Get-Command "ISCC.exe" -ErrorAction SilentlyContinue
    if ($onPath) { return $onPath.Source }
    foreach ($folder in @(${env:ProgramFiles(x86)}, $env:ProgramFiles, "$env:LOCALAPPDATA\Programs")) {
        if (-not $folder) { continue }
        $candidate = Join-Path $folder "Inno Setup 6\ISCC.exe"
        if (Test-Path $candidate) { return $candidate }
    }
    throw "Inno Setup 6 is not installed (ISCC.exe not found): install it or pass -Iscc"
}

# 1. Virtual environment with the pinned packages.
$Venv = Join-Path $Root "build\venv-win"
$VenvPython = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $VenvPython)) {
    Invoke-Checked $Python @("-m", "venv", $Venv)
}
$env:PIP_DISABLE_PIP_VERSION_CHECK = "1"
Invoke-Checked $VenvPython @("-m", "pip", "install", "-q", "-c", "constraints.txt", "pip")
Invoke-Checked $VenvPython @("-m", "pip", "install", "-q", "-c", "constraints.txt", ".[build]")

$Version = (& $VenvPython -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()
if ($LASTEXITCODE -ne 0 -or -not $Version) { throw "could not read the version from pyproject.toml" }
Write-Host "desktop-pos $Version"

# 2. The bundle.
$WorkDir = Join-Path $Root "build\installer"
$Bundle = Join-Path $WorkDir "dist\desktop-pos"
$Started = Get-Date
Invoke-Checked $VenvPython @(
    "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
    "--distpath", (Join-Path $WorkDir "dist"), "--workpath", (Join-Path $WorkDir "work"),
    "installers\desktop-pos.spec"
)
$SizeMb = [math]::Round(((Get-ChildItem $Bundle -Recurse -File | Measure-Object Length -Sum).Sum) / 1MB)
Write-Host ("bundle built in {0:N0} s: {1} MB" -f ((Get-Date) - $Started).TotalSeconds, $SizeMb)

# 3. The bundle works.
if ($SelfTest) {
    $Exe = Join-Path $Bundle "desktop-pos.exe"
    $Said = (& $Exe --version 2>&1 | Out-String).Trim()
    if ($Said -ne "desktop-pos $Version") { throw "--version said '$Said', expected 'desktop-pos $Version'" }
    $env:QT_QPA_PLATFORM = "offscreen"
    try {
        Invoke-Checked $Exe @("selftest")
    } finally {
        Remove-Item Env:QT_QPA_PLATFORM
    }
}

# 4. The installer.
$OutputDir = Join-Path $Root "dist"
New-Item -ItemType Directory -Force -Path $OutputDir | Out-Null
Invoke-Checked (Find-Iscc) @(
    "/Q", "/DAppVersion=$Version", "/DBundleDir=$Bundle", "/DOutputDir=$OutputDir",
    "installers\windows\desktop-pos.iss"
)
$Setup = Join-Path $OutputDir "desktop-pos-$Version-setup.exe"
if (-not (Test-Path $Setup)) { throw "ISCC did not make $Setup" }
Write-Host "installer: $Setup"
