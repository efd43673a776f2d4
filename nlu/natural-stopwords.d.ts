// natural types its stop words only through `natural/lib/natural/util`, whose index also loads the storage
// back-ends (and their dotenv noise); the list itself is a plain module.
declare module 'natural/lib/natural/util/stopwords' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_es' {
  export const words: string[];
}
