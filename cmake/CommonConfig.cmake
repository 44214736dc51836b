# One INTERFACE target carries the language level, warnings and Qt safety defines;
# every target of the project links it PRIVATE.
add_library(tablesync_common INTERFACE)
target_compile_features(tablesync_common INTERFACE cxx_std_20)
target_compile_options(tablesync_common INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
    -Wimplicit-fallthrough)
target_compile_definitions(tablesync_common INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_FOREACH
    QT_USE_QSTRINGBUILDER
    TABLESYNC_VERSION="${PROJECT_VERSION}")

set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

# ASan+UBSan for the `asan` preset.
option(TABLESYNC_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(TABLESYNC_SANITIZE)
    target_compile_options(tablesync_common INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(tablesync_common INTERFACE -fsanitize=address,undefined)
endif()
