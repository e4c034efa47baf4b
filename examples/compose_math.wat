;; The compose_math example component as text: `wasm-tools print` of the build
;; of tests/components/compose_math (WIT + core.wat). Do not edit; regenerate
;; with `python scripts/regen_examples.py`.
(component
  (core module $main (;0;)
    (type (;0;) (func (param i32 i32) (result i32)))
    (memory (;0;) 1)
    (export "memory" (memory 0))
    (export "example:compose/math@0.1.0#add" (func 0))
    (func (;0;) (type 0) (param i32 i32) (result i32)
      local.get 0
      local.get 1
      i32.add
    )
    (@producers
      (processed-by "wit-component" "0.262.0")
    )
  )
  (core instance $main (;0;) (instantiate $main))
  (alias core export $main "memory" (core memory $memory (;0;)))
  (type (;0;) (func (param "a" u32) (param "b" u32) (result u32)))
  (alias core export $main "example:compose/math@0.1.0#add" (core func $example:compose/math@0.1.0#add (;0;)))
  (func $add (;0;) (type 0) (canon lift (core func $example:compose/math@0.1.0#add)))
  (component $example:compose/math@0.1.0-shim-component (;0;)
    (type (;0;) (func (param "a" u32) (param "b" u32) (result u32)))
    (import "import-func-add" (func (;0;) (type 0)))
    (type (;1;) (func (param "a" u32) (param "b" u32) (result u32)))
    (export (;1;) "add" (func 0) (func (type 1)))
  )
  (instance $example:compose/math@0.1.0-shim-instance (;0;) (instantiate $example:compose/math@0.1.0-shim-component
      (with "import-func-add" (func $add))
    )
  )
  (export $example:compose/math@0.1.0 (;1;) "example:compose/math@0.1.0" (instance $example:compose/math@0.1.0-shim-instance))
  (@producers
    (processed-by "wit-component" "0.262.0")
  )
)
