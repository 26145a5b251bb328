//! JSON request bodies: where the contract says object, only an object is accepted.
//!
//! serde lets a struct be read from a JSON array, field by position, so
//! `["08934567000581","Tên","Name"]` used to create a product. [`Json`] is actix's extractor
//! (same size limit and problem+json errors) over a reader that accepts a map and nothing else.

use std::{fmt, marker::PhantomData, ops::Deref};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use futures_core::future::LocalBoxFuture;
use serde::{
    Deserialize, Deserializer,
    de::{DeserializeOwned, MapAccess, Visitor, value::MapAccessDeserializer},
};

/// A JSON object body read as `T`.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    /// The value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = web::Json::<Object<T>>::from_request(req, payload);
        Box::pin(async move { Ok(Json(body.await?.into_inner().0)) })
    }
}

/// Reads `T` from JSON bytes that must hold an object (for bodies read by hand).
pub(crate) fn object_from_slice<T: DeserializeOwned>(bytes: &[u8]) -> serde_json::Result<T> {
    serde_json::from_slice::<Object<T>>(bytes).map(|o| o.0)
}

/// `T`, read only from a JSON object.
#[derive(Debug)]
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct OnlyMap<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for OnlyMap<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(OnlyMap(PhantomData)).map(Object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Body {
        gtin: String,
        name: String,
    }

    #[test]
    fn an_object_reads_and_an_array_does_not() {
        let ok: Object<Body> = serde_json::from_str(r#"{"gtin":"1","name":"n"}"#).unwrap();
        assert_eq!(
            ok.0,
            Body {
                gtin: "1".into(),
                name: "n".into()
            }
        );
        // serde alone takes the array, field by position.
        assert!(serde_json::from_str::<Body>(r#"["1","n"]"#).is_ok());
        let err = serde_json::from_str::<Object<Body>>(r#"["1","n"]"#).unwrap_err();
        assert!(err.to_string().contains("expected a JSON object"), "{err}");
        assert!(serde_json::from_str::<Object<Body>>(r#"{"gtin":"1","name":"n","x":1}"#).is_err());
        let v: Object<serde_json::Value> = serde_json::from_str(r#"{"a":[1]}"#).unwrap();
        assert_eq!(v.0["a"][0], 1);
        assert!(serde_json::from_str::<Object<serde_json::Value>>("[1]").is_err());
    }
}
