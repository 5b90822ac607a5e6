; Inno Setup 6 script of the desktop-pos Windows installer.
; Built by installers/windows/build.ps1, which passes the version from pyproject.toml:
;   ISCC.exe /DAppVersion=0.1.0 /DBundleDir=<bundle folder> /DOutputDir=<folder> desktop-pos.iss
; Per-machine install into Program Files, Start menu shortcuts (the app and its demo mode), an
; optional desktop shortcut, and an uninstaller. Users' sales, settings and logs live in their own
; %LOCALAPPDATA%\desktop-pos folder and are never touched by the installer or the uninstaller.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=X.Y.Z (build.ps1 reads it from pyproject.toml)
#endif
#ifndef BundleDir
  #define BundleDir "..\..\build\installer\dist\desktop-pos"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
; The AppId identifies the program for upgrades and the uninstaller: never change it.
AppId={{5B0F3C2E-8D4A-4F57-9C61-2A7E0D3B9F14}
AppName=desktop-pos
AppVersion={#AppVersion}
AppVerName=desktop-pos {#AppVersion}
AppPublisher=desktop_pos developers
DefaultDirName={autopf}\desktop-pos
DefaultGroupName=desktop-pos
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=desktop-pos-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\desktop-pos.ico
UninstallDisplayIcon={app}\desktop-pos.exe
UninstallDisplayName=desktop-pos {#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "russian"; MessagesFile: "compiler:Languages\Russian.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the whole bundle: no module or migration of the previous version is left.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\desktop-pos"; Filename: "{app}\desktop-pos.exe"
Name: "{autoprograms}\desktop-pos (demo)"; Filename: "{app}\desktop-pos.exe"; Parameters: "--demo"
Name: "{autodesktop}\desktop-pos"; Filename: "{app}\desktop-pos.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\desktop-pos.exe"; Description: "{cm:LaunchProgram,desktop-pos}"; Flags: nowait postinstall skipifsilent
