;; Hand-written core module for world `math-provider` (see wit/math.wit).
(module
  (memory (export "memory") 1)
  (func (export "example:compose/math@0.1.0#add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
)
