"""The expected refusal of every bad-package case: message fragment and file named.

Shared by the unit test (load_package) and the API corpus test (HTTP 400).
A fragment is the full message where it is stable, the stable part otherwise.
"""

from __future__ import annotations

M = "manifest.yaml"
C = "Classes/App.yaml"
U = "UI/ui.yaml"
T = "template.yaml"

EXPECTED: dict[str, tuple[str, str | None]] = {
    # manifest.yaml
    "no_manifest": ("Unable to find package manifest", M),
    "manifest_in_subfolder": ("Unable to find package manifest", M),
    "manifest_bad_yaml": ("not valid YAML: did not find expected ',' or ']' (line 3, column 9)",
                          M),
    "manifest_not_mapping": ("must be a mapping of keys to values", M),
    "manifest_python_tag": (
        "unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' (line 9)", M),
    "manifest_yaml_bomb": ("more than 100 YAML aliases", M),
    "unknown_format": ("Unsupported format Docker.Compose/1.0", M),
    "muranopl_format_2": ("Unsupported format MuranoPL/2.0", M),
    "format_without_version": ("Format 'MuranoPL' is not of the form <name>/<version>", M),
    "no_fullname": ("FullName is not specified", M),
    "fullname_hyphen": ("Invalid FullName 'com.example.Chef-Server'", M),
    "fullname_double_dot": ("Invalid FullName 'com..example.App'", M),
    "fullname_trailing_dot": ("Invalid FullName 'com.example.App.'", M),
    "bad_type": ("Invalid package Type 'Service'", M),
    "no_type": ("Type is not specified", M),
    "name_too_long": ("Name is 81 characters, over the 80 limit", M),
    "bad_version": ("Version 'one point oh' is not a semantic version", M),
    "tags_not_list": ("Tags must be a list of strings", M),
    "supplier_not_mapping": ("Supplier must be a mapping", M),
    "classes_not_mapping": ("Classes must be a mapping of class names to files", M),
    "class_path_escape": (
        "Classes: the file of com.example.bad.App leaves Classes/: '../manifest.yaml'", M),
    "require_not_mapping": ("Require must be a mapping of package names to versions", M),
    "require_bad_spec": ("Require: invalid version spec 'latest' for com.example.bad.Lib", M),
    "require_bad_name": ("Require names an invalid package 'com.example/Lib'", M),
    "meta_not_mapping": ("Meta must be a mapping", M),
    # classes
    "class_file_missing": (
        "class com.example.bad.Helper is listed in manifest.yaml but the file is missing",
        "Classes/Helper.yaml"),
    "class_file_unlisted": ("class file is not listed in manifest.yaml Classes",
                            "Classes/Extra.yaml"),
    "class_bad_yaml": ("not valid YAML: did not find expected ',' or ']' (line 13, column 8)", C),
    "class_name_mismatch": ("manifest.yaml lists com.example.bad.App in this file, but it "
                            "defines com.example.bad.Application", C),
    "class_namespace_mismatch": ("manifest.yaml lists com.example.bad.App in this file, but it "
                                 "defines com.example.other.App", C),
    "class_unknown_prefix": ("class Name 'apps:App' uses the unknown namespace prefix 'apps'", C),
    "class_without_name": ("class definition has no Name", C),
    "class_not_mapping": ("a class definition must be a mapping", C),
    "class_python_tag": ("unsupported YAML tag 'tag:yaml.org,2002:python/name:os.system' "
                         "(line 17)", C),
    "class_unknown_tag": ("unsupported YAML tag '!jinja' (line 11)", C),
    # UI
    "ui_version_1": ("Unsupported UI definition Version 1; supported are 2.0 to 2.4", U),
    "ui_version_3": ("Unsupported UI definition Version 3.0; supported are 2.0 to 2.4", U),
    "ui_version_2_5": ("Unsupported UI definition Version 2.5; supported are 2.0 to 2.4", U),
    "ui_no_application": ("UI definition has no Application section", U),
    "ui_bad_yaml": ("not valid YAML: found unexpected end of stream (line 14, column 1)", U),
    "ui_forms_not_list": ("Forms must be a list of single-key mappings", U),
    "ui_named_bad_yaml": ("not valid YAML: did not find expected node content (line 3, column 1)",
                          "UI/app-ui.yaml"),
    # logos and other files
    "logo_not_image": ("logo: Unsupported Format. Only png, jpeg, gif allowed", "logo.png"),
    "logo_named_missing": ("logo file is missing", "app.png"),
    "logo_bmp": ("logo: Unsupported Format. Only png, jpeg, gif allowed", "app.bmp"),
    "supplier_logo_svg": ("supplier logo: Unsupported Format. Only png, jpeg, gif allowed",
                          "supplier.svg"),
    "logo_too_big": ("logo: image size 512001 is too large. Max allowed size is 512000",
                     "logo.png"),
    "yaml_deep_flow_nesting": ("flow collections nested deeper than 200 levels", M),
    "yaml_deep_block_nesting": ("nested deeper than 200 levels (line 8)", M),
    "yaml_too_many_flow_collections": ("more than 50000 flow collections ([...] or {...})", M),
    "images_lst_bad": ("must hold an Images list whose entries have a Name", "images.lst"),
    # Heat packages
    "hot_no_template": ("Heat template is missing", T),
    "hot_no_resources": ("Not a HOT template: no resources section", T),
    "hot_bad_parameter_type": ("parameter ports has the unsupported type 'list'", T),
    "hot_bad_yaml": ("not valid YAML: did not find expected node content (line 2, column 22)", T),
    # hostile archives (tests/data/bad_packages/build.py)
    "not_a_zip": ("not a zip archive", None),
    "empty_upload": ("not a zip archive", None),
    "truncated_zip": ("not a zip archive", None),
    "path_traversal": ("entry name '../../etc/cron.d/evil' leaves the package root",
                       "../../etc/cron.d/evil"),
    "path_traversal_inside": ("entry name 'Resources/../../evil.sh' leaves the package root",
                              "Resources/../../evil.sh"),
    "parent_directory_entry": ("entry name '../' leaves the package root", "../"),
    "absolute_path": ("entry name '/etc/passwd' is an absolute path", "/etc/passwd"),
    "windows_drive_path": ("entry name 'C:/Windows/evil.bat' is an absolute path",
                           "C:/Windows/evil.bat"),
    "backslash_path": ("entry name '..\\\\..\\\\evil.sh' contains a backslash", "..\\..\\evil.sh"),
    "symlink_entry": ("entry 'Resources/passwd' is a symbolic link", "Resources/passwd"),
    "duplicate_entries": ("entry 'manifest.yaml' appears more than once", M),
    "duplicate_after_normalising": ("entry 'Resources/a.sh' appears more than once",
                                    "Resources/a.sh"),
    "zip_bomb_ratio": ("times, over the 100x compression ratio limit", "Resources/zeros.bin"),
    "declared_size_over_limit": ("the unpacked package would exceed the 52428800 byte limit",
                                 "Resources/data.bin"),
    "lying_small_header": ("entry 'Resources/data.bin' cannot be read: Bad CRC-32",
                           "Resources/data.bin"),
    "many_entries": ("the archive has 2002 entries, over the 2000 entry limit", None),
    "archive_over_size_limit": ("bytes, over the 5242880 byte limit", None),
    "encrypted_entry": ("entry 'Resources/secret.txt' is encrypted", "Resources/secret.txt"),
    "unsupported_compression": (
        "entry 'Resources/odd.bin' cannot be read: That compression method is not supported",
        "Resources/odd.bin"),
}
