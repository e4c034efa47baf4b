;; One instance type imported twice: each import gets its own resources and
;; its own named types, though they share one type definition. (wit-component
;; never shares instance types like this, and its decoder refuses it; the
;; reader binds each import separately, as the component model does.)
(component
  (type $api (instance
    (export "res" (type $res (sub resource)))
    (type $rec (record (field "x" u32) (field "y" u32)))
    (export "point" (type $point (eq $rec)))
    (export "pt" (type $pt (eq $point)))
    (type $get (func (param "self" (borrow $res)) (result $pt)))
    (export "[method]res.get" (func (type $get)))
    (type $new (func (param "p" $point) (result (own $res))))
    (export "[constructor]res" (func (type $new)))
  ))
  (import "a:b/one" (instance $one (type $api)))
  (import "a:b/two@1.0.0" (instance $two (type $api)))
  (alias export $one "point" (type $one-point))
  (alias export $two "res" (type $two-res))
  (type $own2 (own $two-res))
  ;; A world-level import using the types of both instances.
  (type $mix (func (param "p" $one-point) (param "r" $own2) (result $one-point)))
  (import "mix" (func (type $mix)))
)
